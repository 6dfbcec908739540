/**
 * The Java API: {@link retouch.api.Retouch} restores images with a trained model,
 * {@link retouch.api.Generator} draws images from a generator. Both load a model once, are safe
 * for concurrent callers, and free native memory on close.
 */
package retouch.api;
