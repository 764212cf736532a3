from . import pull
from . import match
from . import contacts
from . import batch
from . import push
from . import create
from . import actions
from . import webhooks
