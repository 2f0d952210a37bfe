/**
 * The HTTP service of {@code freshet serve}: one route table ({@link dev.freshet.app.server.Route})
 * from which the Javalin routes and the OpenAPI document are both made, API-key authentication with
 * roles and per-key rate limits, tenant-scoped projects and scans, health and Prometheus metrics.
 * Domain logic stays in {@code updates}; the routes here only translate HTTP to it.
 */
package dev.freshet.app.server;
