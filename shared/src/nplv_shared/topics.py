"""Create the event topics with the settings the platform relies on.

`python -m nplv_shared.topics nplv.gebieden.v1 [...]`. Retention is unlimited (`retention.ms=-1`):
rapportage rebuilds its views by replaying topics from the beginning, so events are never aged
out. Partitions are keyed by focusgebied; 6 leaves room for consumer parallelism.
"""

import argparse
import asyncio
import contextlib
import os

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

TOPIC_CONFIG = {"retention.ms": "-1", "cleanup.policy": "delete", "min.insync.replicas": "1"}


async def ensure_topics(bootstrap_servers: str, names: list[str], *, partitions: int = 6,
                        replication_factor: int = 1) -> list[str]:
    """Create missing topics; returns the names that were created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # created meanwhile
                await admin.create_topics([
                    NewTopic(name=n, num_partitions=partitions,
                             replication_factor=replication_factor, topic_configs=TOPIC_CONFIG)
                    for n in missing])
        return missing
    finally:
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Maak NPLV-topics aan (idempotent)")
    parser.add_argument("topics", nargs="+")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS",
                                                              "127.0.0.1:19092"))
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--replication-factor", type=int, default=1)
    args = parser.parse_args()
    created = asyncio.run(ensure_topics(args.bootstrap, args.topics, partitions=args.partitions,
                                        replication_factor=args.replication_factor))
    print(f"topics aangemaakt: {', '.join(created) or '(geen, bestonden al)'}")


if __name__ == "__main__":
    main()
