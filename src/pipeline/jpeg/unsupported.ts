/** Why the fast JPEG decoder steps aside: the caller then lets libjpeg (sharp) decode. */
export class Unsupported extends Error {}

export const bail = (why: string): never => {
  throw new Unsupported(why);
};
