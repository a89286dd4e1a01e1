from django.tasks import task

from caredesk.inbox import delivery


@task()
def deliver_message(message_id: int) -> str:
    return delivery.deliver(message_id)


@task()
def sweep_deliveries() -> int:
    return delivery.sweep()
