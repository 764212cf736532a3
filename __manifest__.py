{
    "name": "e-conomic Sync",
    "summary": "Two-way sync between Odoo and Visma e-conomic",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "economic_sync developers",
    "website": "https://github.com/economic-sync/economic_sync",
    "depends": ["account", "sale", "base_automation"],
    "external_dependencies": {"python": ["requests"]},
    "data": [],
    "installable": True,
    "application": False,
}
