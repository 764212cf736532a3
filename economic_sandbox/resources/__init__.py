"""Legacy REST resources: the registry that builds the router."""

from .base import Router


def build_router():
    from . import invoices, journals, master

    router = Router()
    router.add("GET", "self", master.self_handler)
    for res in master.RESOURCES + journals.RESOURCES + [invoices.DRAFTS, invoices.BOOKED]:
        res.register(router)
    return router
