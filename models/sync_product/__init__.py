from . import backend
from . import binding
from . import pull
from . import push
from . import webhooks
from . import product
