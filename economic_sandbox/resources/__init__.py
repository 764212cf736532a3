"""Legacy REST resources: the registry that builds the router."""

from .base import Router


def build_router():
    from . import booked, invoices, journals, master, templates

    router = Router()
    router.add("GET", "self", master.self_handler)
    for res in master.RESOURCES + journals.RESOURCES + [invoices.DRAFTS, booked.BOOKED]:
        res.register(router)
    templates.register(router)
    return router
