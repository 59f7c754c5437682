"""Parts requests and defective part returns (18.0.1.3.0).

Parts requests take from the warehouse stock and everything inside it: a van stored inside
WH/Stock would hand its own parts to other vans. The demo van shipped inside WH/Stock moves
beside it (under the warehouse), where new installs put it; quants move with the location.
Vans set up by hand inside the warehouse stock are left alone: approving a request for them
says, in words, to move them."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    van = env.ref("aftersales_service.location_van_li_wei", raise_if_not_found=False)
    warehouse = env.ref("stock.warehouse0", raise_if_not_found=False)
    if van and warehouse and van.location_id == warehouse.lot_stock_id:
        van.location_id = warehouse.view_location_id
        _logger.info("Demo van %s moved out of %s.", van.name, warehouse.lot_stock_id.name)
