/**
 * CVSS vectors (v2, v3.0, v3.1, v4.0) parsed and scored as their FIRST specifications define, so
 * that advisories from NVD, OSV and GitHub carry a numeric score and a severity rating. Entry
 * point: {@link dev.freshet.engine.deps.cvss.Cvss#parse(String)}.
 */
package dev.freshet.engine.deps.cvss;
