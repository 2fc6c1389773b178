# Since configuration is shared in umbrella projects, this file
# should only configure the :kube_native application itself
# and only for organization purposes. All other config goes to
# the umbrella root.
use Mix.Config

import_config "prod.secret.exs"
