"""18.0.1.2.0: VAT zones of customers and suppliers and Odoo's fiscal positions (issue 15).

The connections' VAT zone mappings made by earlier versions kept the zone on the binding only:
they now also write the zone's fiscal position into the partner (and read the zone from it).
A mapping a user changed (another Odoo field) is left as it is.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE economic_field_mapping
           SET odoo_field = 'property_account_position_id'
         WHERE entity IN ('customer', 'supplier')
           AND economic_property = 'vatZone.vatZoneNumber'
           AND converter = 'vat_zone'
           AND COALESCE(odoo_field, '') = ''
        """
    )
