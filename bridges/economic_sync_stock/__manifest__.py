{
    "name": "e-conomic Sync: Inventory",
    "summary": "e-conomic's stock on hand into Odoo's Inventory (bridge, installs itself)",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "economic_sync developers",
    "website": "https://github.com/economic-sync/economic_sync",
    "depends": ["economic_sync", "stock"],
    "data": [
        "data/economic_sync_stock_data.xml",
        "views/economic_backend_views.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "auto_install": True,
    "installable": True,
}
