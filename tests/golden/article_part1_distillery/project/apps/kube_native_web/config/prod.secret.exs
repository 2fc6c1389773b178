use Mix.Config

# In this file, we keep production configuration that
# you'll likely want to automate and keep away from
# your version control system.
#
# You should document the content of this file or create
# a script for recreating it, since it's likely that you
# will have to restore it in a production environment.
config :kube_native_web, KubeNativeWeb.Endpoint,
  secret_key_base: "Qn4Xb8Yk1m2Tz9Lw7Pr3Vc6Hs0Jd5Fg8Ae2Ku4No7Ri1Wq3Ey6Zt9Mx0Bv5Cl8Dp"
