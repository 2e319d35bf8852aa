"""setup/bench parallel: PostgreSQL's parallel query on the nightly jobs' big statements (issue 14, item 5).

setup/bench parallel --db crm_care_bench_install_1000000_5000000 [--runs 3] [--workers 0,2]

On a database where the addons are installed with customers and orders (e.g. the one `setup/bench install
--keep` leaves), runs the read-only part of the big statements, in the batch session the jobs use
(`_set_batch_session`: work_mem, no JIT, no nested loops), with `max_parallel_workers_per_gather` set to each
value in turn (alternating, `--runs` times each), and prints the medians and the plan's parallel workers:

- the lifecycle refresh's metrics statement (`crm.lifecycle.run._get_metrics_query`: every customer's
  metrics, RFM, percentile, lifetime value and stage, from the purchase ledger);
- the tier evaluation's statement (`crm.loyalty.run._get_tier_query`).
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from bench_common import log, registry  # noqa: E402

import odoo  # noqa: E402
from odoo.tools import SQL  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="0,2")
    return parser.parse_args()


def statements(env):
    company = env.company
    run = env["crm.lifecycle.run"]
    yield "lifecycle metrics", run._get_metrics_query(run._get_lifecycle_params(company))
    if "crm.loyalty.run" in env:
        tier = env["crm.loyalty.run"]
        yield "tier evaluation", tier._get_tier_query(tier._get_loyalty_params(company))


def main():
    args = parse_args()
    workers = [int(value) for value in args.workers.split(",")]
    with registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("SHOW max_parallel_workers")
        log(f"Parallel query: database {args.db}, max_parallel_workers = {cr.fetchone()[0]}, {os.cpu_count()} CPUs")
        for label, query in statements(env):
            times = {value: [] for value in workers}
            for __ in range(args.runs):
                for value in workers:
                    cr.rollback()
                    env["crm.lifecycle.run"]._set_batch_session()
                    cr.execute(SQL("SET LOCAL max_parallel_workers_per_gather = %s", value))
                    start = time.perf_counter()
                    cr.execute(SQL("SELECT COUNT(*) FROM (%s) q", query))
                    rows = cr.fetchone()[0]
                    times[value].append(time.perf_counter() - start)
            for value in workers:
                cr.rollback()
                env["crm.lifecycle.run"]._set_batch_session()
                cr.execute(SQL("SET LOCAL max_parallel_workers_per_gather = %s", value))
                cr.execute(SQL("EXPLAIN (ANALYZE, FORMAT JSON) SELECT COUNT(*) FROM (%s) q", query))
                plan = cr.fetchone()[0]
                launched = _launched(plan[0]["Plan"])
                log(
                    f"  {label}, max_parallel_workers_per_gather = {value}: "
                    f"{' / '.join(f'{t:.2f}' for t in times[value])} s -> "
                    f"median {statistics.median(times[value]):.2f} s "
                    f"({rows:,} rows; workers launched in the plan: {launched})"
                )
            if len(workers) == 2:
                first, second = (statistics.median(times[value]) for value in workers)
                log(f"  -> {label}: {first / second:.2f}x faster with {workers[1]} workers per gather")
        cr.rollback()


def _launched(node):
    count = node.get("Workers Launched", 0)
    for child in node.get("Plans", []):
        count += _launched(child)
    return count


if __name__ == "__main__":
    main()
