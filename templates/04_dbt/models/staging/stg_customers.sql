{{ config(materialized='table') }}

select
    cast(customer_id as integer) as customer_id,
    trim(customer_name) as customer_name,
    trim(city) as city,
    cast(signup_date as date) as signup_date
from {{ source('raw', 'customers') }}
