"""YAML that remembers where it came from: mappings and lists that know the line of each key
and item, so that every problem in a workflow file can be reported with its line."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import yaml


class LineDict(dict):
    """A mapping that remembers its own line and the 1-based line of each key."""

    def __init__(self, line: int = 1) -> None:
        super().__init__()
        self.line, self.lines = line, {}


class LineList(list):
    """A sequence that remembers its own line and the 1-based line of each item."""

    def __init__(self, items: Iterable[Any] = (), lines: Iterable[int] = (), line: int = 1):
        super().__init__(items)
        self.line, self.lines = line, list(lines)


class LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings and sequences remember where they came from."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []  # PyYAML would silently keep the last one

    def construct_line_mapping(self, node: yaml.MappingNode) -> LineDict:
        """Build a LineDict, noting duplicate keys."""
        seen = set()
        for key_node, _ in node.value:  # before flattening, so merge-key overrides are fine
            if isinstance(key_node, yaml.ScalarNode):
                if (key_node.tag, key_node.value) in seen:
                    self.duplicates.append((key_node.start_mark.line + 1, key_node.value))
                seen.add((key_node.tag, key_node.value))
        self.flatten_mapping(node)
        result = LineDict(node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    None, None, "found an unhashable key", key_node.start_mark)
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_line_list(self, node: yaml.SequenceNode) -> LineList:
        """Build a LineList."""
        return LineList([self.construct_object(item, deep=True) for item in node.value],
                         [item.start_mark.line + 1 for item in node.value],
                         node.start_mark.line + 1)


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_line_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_line_list)
