import Foundation

// The product's own value types as statement parameters and result columns (the driver,
// PostgresClient, knows the standard ones).

extension Money: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { description }
    public static var postgresType: UInt32 { PostgresOID.numeric }
    public init(postgresText text: String) throws {
        do { self = try Money(parsing: text) } catch { throw decodingError(text, Money.self) }
    }
}

extension LocalDate: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { description }
    public static var postgresType: UInt32 { PostgresOID.date }
    public init(postgresText text: String) throws {
        do { self = try LocalDate(parsing: text) } catch { throw decodingError(text, LocalDate.self) }
    }
}
