/** Scales a vector to unit length so dot product equals cosine similarity in every store. */
export function normalize(values: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(values);
  let sum = 0;
  for (const x of out) sum += x * x;
  const norm = Math.sqrt(sum);
  // A zero vector has no direction; leave it as is rather than fill it with NaN.
  if (norm === 0) return out;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / norm;
  return out;
}
