# -*- coding: latin-1 -*-
# A Latin-1 file: the é below is one byte, 0xE9, and one character.
name = "café"; total = sum([len(part) for part in nums])
