"""Network tasks: publishing this platform's participants in the SMP, and taking them out."""

from coursier.jobs.app import network_retry, task, task_connectors, task_session, task_settings
from coursier.kit.errors import Unavailable
from coursier.services import network

# Past the last attempt, "failed" for an operator.
_SMP_RETRY = network_retry(Unavailable)


@task("network.publish_participant", retry=_SMP_RETRY)
def publish_participant(mandate_id: str) -> None:
    """The active mandate's line in the SMP, with this platform's AS4 endpoint. Idempotent."""
    connectors = task_connectors()
    if connectors.smp is None or connectors.as4 is None:
        return
    with task_session() as session:
        network.publish_participant(
            session, mandate_id, publisher=connectors.smp, endpoint=connectors.as4, settings=task_settings()
        )


@task("network.withdraw_participant", retry=_SMP_RETRY)
def withdraw_participant(mandate_id: str) -> None:
    """The ended mandate's line out of the SMP. Idempotent."""
    connectors = task_connectors()
    if connectors.smp is None:
        return
    with task_session() as session:
        network.withdraw_participant(session, mandate_id, publisher=connectors.smp)
