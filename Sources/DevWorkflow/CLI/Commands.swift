/// The command table, one extension per noun.
package enum Commands {}
