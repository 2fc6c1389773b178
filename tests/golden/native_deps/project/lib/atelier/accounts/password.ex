defmodule Atelier.Accounts.Password do
  @moduledoc """
  Password hashing. New hashes use Argon2; hashes created before the
  migration are Bcrypt and are re-hashed on the next successful login.
  """

  def hash(password), do: Argon2.hash_pwd_salt(password)

  def verify("$2b$" <> _ = hash, password), do: Bcrypt.verify_pass(password, hash)
  def verify(hash, password), do: Argon2.verify_pass(password, hash)
end
