from . import economic_backend
