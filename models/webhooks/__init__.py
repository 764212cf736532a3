from . import const
from . import event
from . import backend
from . import process
