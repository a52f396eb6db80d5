"""EL001 syntax-error: reported where the parser stops understanding the source."""


def still_checked(values):
    return sum(values)


print "hello"  # error: EL001
