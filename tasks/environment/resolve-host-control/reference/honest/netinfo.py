import pathlib
import socket


def resolve(hostname: str, hosts_file: str | None = None) -> str:
    if hosts_file is not None:
        for line in pathlib.Path(hosts_file).read_text().splitlines():
            fields = line.split("#", 1)[0].split()
            if hostname in fields[1:]:
                return fields[0]
    try:
        return socket.gethostbyname(hostname)
    except (socket.gaierror, UnicodeError) as error:
        raise ValueError(f"cannot resolve {hostname!r}") from error
