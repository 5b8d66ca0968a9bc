{{ config(materialized='table') }}

select
    cast(order_id as integer) as order_id,
    cast(customer_id as integer) as customer_id,
    trim(product_id) as product_id,
    cast(quantity as integer) as quantity,
    cast(order_date as date) as order_date,
    lower(trim(status)) as status
from {{ source('raw', 'orders') }}
