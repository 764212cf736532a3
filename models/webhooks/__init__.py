from . import const
from . import declaration
from . import event
from . import backend
from . import process
