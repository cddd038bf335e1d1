"""Nothing to report here."""


def restock(item, log=None):
    if log is None:
        log = []
    log.append(item)
    return log
