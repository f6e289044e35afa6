#!/usr/bin/env python3
"""deploy.py -- cut a release, trigger the pipeline, wait for rollout.

    ./deploy.py --tag v1.42.0 --env production
"""
import argparse
import http.client
import json
import os
import socket
import sys
import time
from urllib.error import URLError
from urllib.request import Request, urlopen

import requests

GITLAB = os.environ.get("GITLAB_URL", "https://gitlab.example.com")
GITHUB_REPO = "example/storefront"
SLACK_URL = os.environ.get("SLACK_DEPLOY_WEBHOOK", "")
ENV_HOSTS = {"staging": "staging.example.com", "production": "www.example.com"}


def say(text):
    print(text)
    if SLACK_URL:
        data = json.dumps({"text": text}).encode()
        urlopen(Request(SLACK_URL, data=data, headers={"Content-Type": "application/json"}))  # expect: TMO002


def fetch_release(tag):
    r = requests.get(  # expect: TMO001
        "https://api.github.com/repos/%s/releases/tags/%s" % (GITHUB_REPO, tag),
        headers={"Authorization": "token " + os.environ["GITHUB_TOKEN"], "Accept": "application/vnd.github+json"},
    )
    if r.status_code == 404:
        return None
    r.raise_for_status()
    return r.json()


def upload_asset(release, path):
    upload_url = release["upload_url"].split("{")[0]
    with open(path, "rb") as fh:
        return requests.post(  # expect: TMO001
            upload_url,
            params={"name": os.path.basename(path)},
            data=fh,
            headers={"Authorization": "token " + os.environ["GITHUB_TOKEN"], "Content-Type": "application/gzip"},
        )


def trigger_pipeline(args):
    r = requests.post(  # ok: TMO001
        "%s/api/v4/projects/%s/trigger/pipeline" % (GITLAB, args.project),
        data={"token": os.environ["GITLAB_TRIGGER_TOKEN"], "ref": args.tag, "variables[DEPLOY_ENV]": args.env},
        timeout=args.timeout,
    )
    r.raise_for_status()
    return r.json()["id"]


def pipeline_status(args, pipeline_id):
    r = requests.get(  # ok: TMO001
        "%s/api/v4/projects/%s/pipelines/%s" % (GITLAB, args.project, pipeline_id),
        headers={"PRIVATE-TOKEN": os.environ["GITLAB_TOKEN"]},
        timeout=args.timeout,
    )
    return r.json()["status"]


def current_version(host):
    return urlopen("https://%s/version" % host).read().decode().strip()  # expect: TMO002


def wait_for_version(host, tag, attempts=60, delay=10):
    for _ in range(attempts):
        try:
            with urlopen("https://%s/version" % host, timeout=5) as r:  # ok: TMO002
                if r.read().decode().strip() == tag:
                    return True
        except URLError:
            pass
        time.sleep(delay)
    return False


def wait_for_port(host, port, attempts=30):
    for _ in range(attempts):
        try:
            socket.create_connection((host, port)).close()  # expect: TMO004
            return True
        except OSError:
            time.sleep(2)
    return False


def smoke_test(host):
    conn = http.client.HTTPSConnection(host)  # expect: TMO003
    for path in ("/", "/healthz", "/api/products?limit=1"):
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        if resp.status >= 500:
            return False
    return True


def rollback(args):
    requests.request(  # ok: TMO001
        "POST",
        "%s/api/v4/projects/%s/environments/%s/stop" % (GITLAB, args.project, args.env),
        headers={"PRIVATE-TOKEN": os.environ["GITLAB_TOKEN"]},
        timeout=30,
    )


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tag", required=True)
    p.add_argument("--env", choices=sorted(ENV_HOSTS), default="staging")
    p.add_argument("--project", default=os.environ.get("CI_PROJECT_ID", "42"))  # ok: TMO001
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--asset", action="append", default=[])
    args = p.parse_args(argv)

    release = fetch_release(args.tag)
    if release is None:
        sys.exit("no GitHub release for %s" % args.tag)
    for asset in args.asset:
        upload_asset(release, asset)

    host = ENV_HOSTS[args.env]
    if not wait_for_port(host, 443):
        sys.exit("%s:443 is not reachable" % host)
    say("deploying %s to %s (currently %s)" % (args.tag, args.env, current_version(host)))
    pid = trigger_pipeline(args)
    while pipeline_status(args, pid) in ("created", "pending", "running"):
        time.sleep(15)
    if not wait_for_version(host, args.tag) or not smoke_test(host):
        say("rollout of %s failed, rolling back" % args.tag)
        rollback(args)
        return 1
    say("%s is live on %s" % (args.tag, args.env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
