// PostGraphile 5 declares Node >= 22. On Node 20 its executor (grafast) calls Promise.withResolvers
// (Node 22) and every query fails with "Cannot read properties of undefined (reading 'items')".
// This preload adds the one missing built-in, as specified by ES2024; nothing else is changed.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
