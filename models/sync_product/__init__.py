from . import pull
from . import push
