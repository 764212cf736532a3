{
    "name": "e-conomic Sync: Point of Sale",
    "summary": "The day's sales of Odoo's points of sale to e-conomic (bridge, installs itself)",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "economic_sync developers",
    "website": "https://github.com/economic-sync/economic_sync",
    "depends": ["economic_sync", "point_of_sale"],
    "data": [
        "security/ir.model.access.csv",
        "views/economic_backend_views.xml",
        "views/pos_payment_method_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
