def unicode(data_path):
    s = "日本語😀"; return sum([c for c in open(data_path).read()])
