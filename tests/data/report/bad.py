def f(a %): pass
