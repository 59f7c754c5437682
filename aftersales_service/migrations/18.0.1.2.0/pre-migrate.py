"""18.0.1.2.0 declares the reference sequences as data (data/ir_sequence_data.xml).

Databases from earlier versions already hold the main company's sequences, created on
first use: bind them to the new XML ids so the data file keeps them (and their numbering)
instead of adding a second sequence with the same code.
"""

SEQUENCES = {
    "seq_aftersales_ticket": "aftersales.ticket",
    "seq_aftersales_contract": "aftersales.contract",
    "seq_aftersales_warranty": "aftersales.warranty",
}


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'main_company'")
    row = cr.fetchone()
    if not row:
        return
    main_company_id = row[0]
    for xmlid, code in SEQUENCES.items():
        cr.execute(
            """
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
            SELECT 'aftersales_service', %s, 'ir.sequence', seq.id, TRUE
              FROM ir_sequence seq
             WHERE seq.code = %s AND seq.company_id = %s
               AND NOT EXISTS (
                   SELECT 1 FROM ir_model_data
                    WHERE module = 'aftersales_service' AND name = %s)
             ORDER BY seq.id
             LIMIT 1
            """,
            [xmlid, code, main_company_id, xmlid],
        )
