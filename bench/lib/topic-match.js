/**
 * A plain topic trie with the AMQP rules ('*' is one word, '#' zero or more), kept
 * apart from Warren's router on purpose: the benchmark uses it only to know how
 * many queues each routing key reaches, so that producers can count the copies
 * the broker ought to deliver.
 */
class TopicTable {
  constructor() {
    this.root = { children: new Map(), destinations: new Set() };
  }

  bind(bindingKey, destination) {
    let node = this.root;
    for (const word of bindingKey.split('.')) {
      if (!node.children.has(word)) node.children.set(word, { children: new Map(), destinations: new Set() });
      node = node.children.get(word);
    }
    node.destinations.add(destination);
  }

  /** The destinations bound by any key that matches routingKey, each once. */
  match(routingKey) {
    const found = new Set();
    walk(this.root, routingKey.split('.'), 0, found);
    return found;
  }
}

function walk(node, words, i, found) {
  const hash = node.children.get('#');
  if (hash) for (let j = i; j <= words.length; j++) walk(hash, words, j, found);
  if (i === words.length) {
    for (const d of node.destinations) found.add(d);
    return;
  }
  const exact = node.children.get(words[i]);
  if (exact) walk(exact, words, i + 1, found);
  const star = node.children.get('*');
  if (star) walk(star, words, i + 1, found);
}

module.exports = { TopicTable };
