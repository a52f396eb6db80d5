# Findings after characters that take more than one byte in UTF-8 (and, for the emoji,
# two UTF-16 units): every finding below is at column 27, counted in characters.
label = "日本語"; size = sum([len(x) for x in lines])
icon = "😀👍🏽"; count = sum([1 for _ in item])
accent = "café"; n = sum([1 for _ in access])
