def load(data_path):
    with open(data_path) as f:
        return f.read()
