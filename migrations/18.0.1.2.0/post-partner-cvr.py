"""18.0.1.2.0: CVR/VAT numbers of customers and suppliers (issue 15).

The connections' mappings of ``corporateIdentificationNumber`` made by earlier versions wrote the
number into Odoo's VAT field as text, so a CVR Odoo's validation refuses blocked the partner:
they now use the ``cvr`` converter on the VAT and registry fields. Mappings a user changed
(another field or converter) are left as they are.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE economic_field_mapping
           SET odoo_field = 'vat,company_registry', converter = 'cvr'
         WHERE entity IN ('customer', 'supplier')
           AND economic_property = 'corporateIdentificationNumber'
           AND odoo_field = 'vat'
           AND converter = 'char'
        """
    )
