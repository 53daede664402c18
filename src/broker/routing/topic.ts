/**
 * Topic exchange: binding keys are patterns of words separated by '.', where
 * '*' matches exactly one word and '#' matches zero or more. Bindings live in a
 * trie with one edge per pattern word; routing walks it trying three edges at
 * each word of the routing key: the word itself, '*' and '#'.
 *
 * Words follow RabbitMQ's split_topic_key: "" is zero words (so '*' does not
 * match it, '#' does, and the binding key "" matches only the routing key ""),
 * while empty words inside a key ("a..b", "a.") are words like any other.
 */
import type { Headers } from '../message/message';
import { BindingTable, DestinationCounts } from './binding-table';
import type { BindingSpec, ExchangeRouter } from './exchange-type';

const NO_WORDS: readonly string[] = [];

function topicWords(key: string): readonly string[] {
  return key === '' ? NO_WORDS : key.split('.');
}

/** topicWords into a reusable buffer; returns the word count. Stale words past it are never read. */
function splitInto(key: string, words: string[]): number {
  if (key === '') return 0;
  let count = 0;
  let start = 0;
  for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', start)) {
    words[count++] = key.slice(start, dot);
    start = dot + 1;
  }
  words[count++] = key.slice(start);
  return count;
}

class TopicNode<D> {
  literals: Map<string, TopicNode<D>> | undefined = undefined;
  star: TopicNode<D> | undefined = undefined;
  hash: TopicNode<D> | undefined = undefined;
  destinations: DestinationCounts<D> | undefined = undefined;
  /**
   * For a '#' node: the route() call that last expanded it. Without this memo a
   * pattern with several '#' would try every way of splitting the key between
   * them, exponentially; with it each node is visited at most once per position.
   */
  expandedIn = 0;

  child(word: string): TopicNode<D> | undefined {
    if (word === '*') return this.star;
    if (word === '#') return this.hash;
    return this.literals?.get(word);
  }

  get isEmpty(): boolean {
    return !this.destinations && !this.star && !this.hash && !this.literals;
  }
}

export class TopicRouter<D> implements ExchangeRouter<D> {
  private readonly table = new BindingTable<D>();
  private readonly root = new TopicNode<D>();
  private nodes = 1;
  private routeCount = 0;
  /** The words of the key being routed, in a buffer reused by every route() to spare the allocations of split(). */
  private readonly words: string[] = [];
  private wordCount = 0;

  get bindingCount(): number {
    return this.table.size;
  }

  /** Trie nodes including the root; 1 means the trie is empty. Lets tests see pruning. */
  get nodeCount(): number {
    return this.nodes;
  }

  validateBinding(_spec: BindingSpec<D>): void {
    // Every string is a valid pattern; a word such as "a*" is simply literal.
  }

  bind(spec: BindingSpec<D>): void {
    const stored = this.table.add(spec);
    if (!stored) return;
    let node = this.root;
    for (const word of topicWords(stored.routingKey)) node = node.child(word) ?? this.grow(node, word);
    node.destinations ??= new DestinationCounts<D>();
    node.destinations.add(stored.destination);
  }

  unbind(spec: BindingSpec<D>): void {
    const removed = this.table.remove(spec);
    if (removed) this.forget(removed);
  }

  unbindDestination(destination: D): void {
    for (const removed of this.table.removeDestination(destination)) this.forget(removed);
  }

  route(routingKey: string, _headers: Headers | undefined, into: Set<D>): void {
    this.routeCount++;
    this.wordCount = splitInto(routingKey, this.words);
    this.visit(this.root, 0, into);
  }

  /** Matches the routing key's words from position i on against the patterns below node. */
  private visit(node: TopicNode<D>, i: number, into: Set<D>): void {
    if (i === this.wordCount) {
      node.destinations?.addTo(into);
    } else {
      const literal = node.literals?.get(this.words[i]);
      if (literal) this.visit(literal, i + 1, into);
      if (node.star) this.visit(node.star, i + 1, into);
    }
    if (node.hash) this.expandHash(node.hash, i, into);
  }

  /** The '#' at `hash` swallows zero or more words, so the rest may start at any position from `from` on. */
  private expandHash(hash: TopicNode<D>, from: number, into: Set<D>): void {
    if (!hash.literals && !hash.star && !hash.hash) {
      // A trailing '#' matches whatever remains: no need to walk the positions.
      hash.destinations?.addTo(into);
      return;
    }
    // The walk is depth-first and reaches every node in increasing word position
    // (the root once at 0; a '#' expands forwards), so the first expansion of a '#'
    // in this route started earliest and has already covered this one.
    if (hash.expandedIn === this.routeCount) return;
    hash.expandedIn = this.routeCount;
    for (let j = from; j <= this.wordCount; j++) this.visit(hash, j, into);
  }

  private grow(parent: TopicNode<D>, word: string): TopicNode<D> {
    const node = new TopicNode<D>();
    if (word === '*') parent.star = node;
    else if (word === '#') parent.hash = node;
    else (parent.literals ??= new Map()).set(word, node);
    this.nodes++;
    return node;
  }

  /** Drops the binding from its node, then prunes the nodes it leaves with nothing to hold. */
  private forget(binding: BindingSpec<D>): void {
    const words = topicWords(binding.routingKey);
    const path = [this.root];
    for (const word of words) {
      const next = path[path.length - 1].child(word);
      if (!next) return;
      path.push(next);
    }
    const last = path[path.length - 1];
    last.destinations?.remove(binding.destination);
    if (last.destinations?.isEmpty) last.destinations = undefined;
    for (let depth = words.length; depth > 0 && path[depth].isEmpty; depth--) {
      this.detach(path[depth - 1], words[depth - 1]);
    }
  }

  private detach(parent: TopicNode<D>, word: string): void {
    if (word === '*') parent.star = undefined;
    else if (word === '#') parent.hash = undefined;
    else if (parent.literals) {
      parent.literals.delete(word);
      if (parent.literals.size === 0) parent.literals = undefined;
    }
    this.nodes--;
  }
}
