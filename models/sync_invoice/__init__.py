from . import const
from . import binding
from . import backend
from . import pull
from . import build
from . import draft
from . import push
from . import payments
