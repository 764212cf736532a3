from . import backend
from . import stock
from . import product
