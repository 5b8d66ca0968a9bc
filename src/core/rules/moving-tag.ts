// Which image tags move to a new image without the file that names them changing, shared by the
// compose and Dockerfile tag rules so both judge `latest-py310` or `alpine` alike.

/** Words that name a channel rather than a release. */
const MOVING_WORDS = /^(latest|stable|lts|edge|nightly|main|master|dev|develop|current|mainline|rolling|next|canary|beta|alpha|rc)$/i;

/**
 * latest, stable…; a variant of one (`latest-py310`, `stable-alpine`, `lts-slim`, whose version part
 * is the variant's, not the image's); or a tag with no version number at all (`alpine`, `slim`).
 */
export function isMovingTag(tag: string): boolean {
  return MOVING_WORDS.test(tag) || MOVING_WORDS.test(tag.split(/[-_.]/)[0]) || !/\d/.test(tag);
}
