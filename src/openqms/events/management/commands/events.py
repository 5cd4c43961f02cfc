from django.utils import timezone

from openqms.core.management.base import OpenQMSCommand
from openqms.events.actions import pms


class Command(OpenQMSCommand):
    help = (
        "Quality events configuration: `holidays --seed` adds the England and Wales bank "
        "holidays of this year to five years on (from the holidays package) not there yet."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        holidays = sub.add_parser("holidays", help="The bank holidays MHRA deadlines count")
        holidays.add_argument("--seed", action="store_true", help="Add this year to +5")

    def handle(self, *args, **opts):
        if opts["verb"] == "holidays":
            if not opts["seed"]:
                self.stderr.write("Say --seed to add the bank holidays.")
                return
            year = timezone.localdate().year
            years = range(year, year + 6)
            added = pms.seed_bank_holidays(actor=None, years=years)
            self.stdout.write(f"bank holidays: {added} added for {years[0]}–{years[-1]}.")
