from . import pull
from . import push
from . import webhooks
