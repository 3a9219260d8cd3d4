/** The part of jstat (no bundled types) that analysis uses. */
declare module 'jstat' {
  const jStat: {
    studentt: {
      /** Quantile of Student's t distribution: the t with P(T <= t) = p at `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
    };
    chisquare: {
      /** P(X <= x) for a chi-square variable with `dof` degrees of freedom. */
      cdf(x: number, dof: number): number;
    };
    normal: {
      /** P(X <= x) for a normal variable with this mean and standard deviation. */
      cdf(x: number, mean: number, sd: number): number;
    };
  };
  export default jStat;
}
