/** Fraction of predictions equal to the true labels (scikit-learn's accuracy_score). */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(
      `accuracy: y_true has ${yTrue.length} labels but y_pred has ${yPred.length}.`,
    );
  }
  if (yTrue.length === 0) throw new RangeError('accuracy: no labels to score.');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}
