using SfCompanion.Salesforce;

namespace SfCompanion.Tests.Rules;

/// <summary>Hand-built describes of a small org: users and queues, accounts with a custom parent lookup, contacts, opportunities and tasks.</summary>
internal static class TestSchema
{
    public static FieldDescribe Field(string name, string type) => new(name, type, name, [], null, [], name.EndsWith("__c", StringComparison.Ordinal), 0);

    public static FieldDescribe Lookup(string name, string? relationship, params string[] to) =>
        new(name, "reference", name, to, relationship, [], name.EndsWith("__c", StringComparison.Ordinal), 18);

    public static SObjectDescribe User { get; } = new("User", "005", [Field("Id", "id"), Field("Name", "string"), Field("IsActive", "boolean"), Field("Email", "email")]);

    public static SObjectDescribe Group { get; } = new("Group", "00G", [Field("Id", "id"), Field("Name", "string"), Field("Email", "email")]);

    public static SObjectDescribe Account { get; } = new("Account", "001",
    [
        Field("Id", "id"), Field("Name", "string"), Field("Type", "picklist"), Field("NumberOfEmployees", "int"), Field("AnnualRevenue", "currency"),
        Field("CreatedDate", "datetime"), Field("Tags__c", "multipicklist"),
        Lookup("OwnerId", "Owner", "Group", "User"),
        Lookup("Parent_Account__c", "Parent_Account__r", "Account"),
        // A custom lookup whose describe carries no relationship name: Holding__r still reaches it.
        Lookup("Holding__c", null, "Account"),
    ]);

    public static SObjectDescribe Contact { get; } = new("Contact", "003",
    [
        Field("Id", "id"), Field("FirstName", "string"), Field("LastName", "string"), Field("Email", "email"), Field("Birthdate", "date"),
        Field("HasOptedOutOfEmail", "boolean"), Field("Sfc_Vip__c", "boolean"), Field("Sfc_Vip_Reasons__c", "textarea"), Field("Sfc_Vip_Since__c", "date"),
        Field("Sfc_Vip_Until__c", "date"), Field("Sfc_Score__c", "double"), Field("Sfc_Last_Click_Date__c", "datetime"), Field("Title", "string"),
        Lookup("AccountId", "Account", "Account"),
        Lookup("OwnerId", "Owner", "User"),
    ]);

    public static SObjectDescribe Opportunity { get; } = new("Opportunity", "006",
    [
        Field("Id", "id"), Field("Name", "string"), Field("Amount", "currency"), Field("CloseDate", "date"), Field("IsWon", "boolean"),
        Field("Probability", "percent"), Field("LastModifiedDate", "datetime"),
        Lookup("AccountId", "Account", "Account"),
    ]);

    public static SObjectDescribe Task { get; } = new("Task", "00T",
    [
        Field("Id", "id"), Field("Subject", "string"), Field("ActivityDate", "date"),
        Lookup("WhoId", "Who", "Contact", "Lead"),
        Lookup("WhatId", "What", "Account", "Opportunity"),
    ]);

    public static Dictionary<string, SObjectDescribe> Describes(params SObjectDescribe[] describes) =>
        describes.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    public static Dictionary<string, SObjectDescribe> All() => Describes(User, Group, Account, Contact, Opportunity, Task);
}
