import json
import os
from typing import Any, Dict, Iterable, Iterator, List

import requests


class SearchIndex:
    """Tiny Elasticsearch helper; the session is shared by every index object."""

    session = requests.Session()
    session.headers.update({"Content-Type": "application/json"})
    base = os.environ.get("ES_URL", "http://localhost:9200")

    def __init__(self, index: str):
        self.index = index

    def search(self, query: Dict[str, Any], size: int = 20) -> List[Dict[str, Any]]:
        r = self.session.post(f"{self.base}/{self.index}/_search", json={"query": query, "size": size})  # expect: TMO001
        r.raise_for_status()
        return [h["_source"] for h in r.json()["hits"]["hits"]]

    def get(self, doc_id: str) -> Dict[str, Any]:
        r = self.session.get(f"{self.base}/{self.index}/_doc/{doc_id}", timeout=5)  # ok: TMO001
        return r.json().get("_source", {})  # ok: TMO001

    def index_doc(self, doc_id: str, doc: Dict[str, Any]) -> None:
        SearchIndex.session.put(f"{self.base}/{self.index}/_doc/{doc_id}", json=doc)  # expect: TMO001

    def bulk(self, actions: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
        body = "\n".join(json.dumps(a) for a in actions) + "\n"
        r = self.session.post(  # ok: TMO001
            f"{self.base}/_bulk",
            data=body,
            headers={"Content-Type": "application/x-ndjson"},
            timeout=60,
        )
        return r.json()

    @classmethod
    def health(cls) -> str:
        return cls.session.get(f"{cls.base}/_cluster/health").json()["status"]  # expect: TMO001

    def scroll_all(self, query: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
        r = self.session.post(  # ok: TMO001
            f"{self.base}/{self.index}/_search",
            params={"scroll": "2m"},
            json={"query": query, "size": 1000},
            timeout=30,
        )
        body = r.json()
        sid = body["_scroll_id"]
        try:
            while body["hits"]["hits"]:
                for h in body["hits"]["hits"]:
                    yield h["_source"]
                body = self.session.post(f"{self.base}/_search/scroll", json={"scroll": "2m", "scroll_id": sid}).json()  # expect: TMO001
                sid = body["_scroll_id"]
        finally:
            self.session.delete(f"{self.base}/_search/scroll", json={"scroll_id": sid}, timeout=5)  # ok: TMO001

    def reindex_into(self, dest: str) -> Dict[str, Any]:
        # "timeout" below is the Elasticsearch request parameter, not the HTTP client's
        r = self.session.post(  # expect: TMO001
            f"{self.base}/_reindex",
            params={"wait_for_completion": "true", "timeout": "1h"},
            json={"source": {"index": self.index}, "dest": {"index": dest}},
        )
        return r.json()

    def count(self) -> int:
        return requests.get(f"{self.base}/{self.index}/_count", timeout=(2, 10)).json()["count"]  # ok: TMO001

    def delete_index(self) -> None:
        requests.delete(f"{self.base}/{self.index}")  # expect: TMO001

    def mapping(self) -> Dict[str, Any]:
        return requests.request("GET", f"{self.base}/{self.index}/_mapping").json()  # expect: TMO001

    def exists(self) -> bool:
        return requests.head(f"{self.base}/{self.index}", timeout=3).status_code == 200  # ok: TMO001


def suggest(index: SearchIndex, doc_id: str) -> Dict[str, Any]:
    return index.get(doc_id)  # ok: TMO001


def product_search(term: str) -> List[Dict[str, Any]]:
    return SearchIndex("products").search({"match": {"title": term}})


def rebuild(alias: str, new_index: str) -> None:
    src = SearchIndex(alias)
    src.reindex_into(new_index)
    SearchIndex.session.post(  # ok: TMO001
        f"{SearchIndex.base}/_aliases",
        json={"actions": [{"remove": {"index": "*", "alias": alias}}, {"add": {"index": new_index, "alias": alias}}]},
        timeout=15,
    )
