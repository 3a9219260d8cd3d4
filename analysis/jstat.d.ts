/** The part of jstat (no bundled types) that analysis uses. */
declare module 'jstat' {
  const jStat: {
    studentt: {
      /** Quantile of Student's t distribution: the t with P(T <= t) = p at `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
    };
  };
  export default jStat;
}
