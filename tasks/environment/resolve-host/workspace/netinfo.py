def resolve(hostname: str, hosts_file: str | None = None) -> str:
    raise NotImplementedError
