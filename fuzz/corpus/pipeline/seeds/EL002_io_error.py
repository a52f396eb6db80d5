# error: EL002  (this file is Latin-1 without a coding declaration, so not valid UTF-8)
name = "café"
